// "下载 PDF" link on every page. `dcbook build` replaces this file in the staged site with one that names the
// edition's PDF; without a PDF (--no-pdf) this no-op version is published and no link appears.
