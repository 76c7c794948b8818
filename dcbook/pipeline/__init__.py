"""The build pipeline behind ``dcbook build``, split by stage.

* :mod:`~dcbook.pipeline.inputs` — which chapters exist (``_toc.yml``) and what each one depends on
  (content hashes, the manifest that makes rebuilds incremental);
* :mod:`~dcbook.pipeline.execute` — papermill execution of one chapter in its own process, and the
  parallel driver that can be interrupted without leaving half-written results;
* :mod:`~dcbook.pipeline.site` — the staged Jupyter Book source tree, the Sphinx run, the build-information
  page and the atomic swap into ``_build/html``;
* :mod:`~dcbook.pipeline.nbstrip` — keeps committed notebooks free of outputs except nbval expectations.

:mod:`dcbook.build` ties them together.
"""
