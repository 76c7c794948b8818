"""dcbook — data access, validation, charts and the build pipeline of 数字中国发展解读.

The notebooks in ``book/`` and the ``dcbook`` command line share this package, so every rule
(units, conflicts, target statuses, chart style) is written once and tested once.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

#: Repository root (the folder holding ``_config.yml``), used for defaults only.
REPO_ROOT = Path(__file__).resolve().parent.parent
#: Default data directory; notebooks receive ``data_dir`` as a papermill parameter instead.
DEFAULT_DATA_DIR = REPO_ROOT / "data"
#: A folder of chart images kept by content (:func:`dcbook.render.converted`). The build sets it for each
#: chapter (``_build/cache/charts``); set it yourself to share one folder between several builds.
CHART_CACHE_ENV = "DCBOOK_CHART_CACHE"

# In a chapter's kernel the build records which dcbook modules the chapter imports (its code inputs).
from dcbook import provenance as _provenance  # noqa: E402

_provenance.record_imports()
