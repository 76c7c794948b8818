"""The build pipeline behind ``dcbook build``, split by stage.

* :mod:`~dcbook.pipeline.inputs` — which chapters exist (``_toc.yml``) and what each one depends on
  (content hashes, the manifest that makes rebuilds incremental);
* :mod:`~dcbook.pipeline.execute` — papermill execution of chapters in warm worker processes (one per
  parallel job), and the parallel driver that can be interrupted without leaving half-written results;
* :mod:`~dcbook.pipeline.kernels` — each worker's zygote, of which every chapter's kernel is a fork
  (``zygote.py``, ``kernel_stub.py``: scripts run by path, never imported);
* :mod:`~dcbook.pipeline.site` — the staged Jupyter Book source tree, the Sphinx run, the build-information
  page and the atomic swap into ``_build/html``;
* :mod:`~dcbook.pipeline.nbstrip` — keeps committed notebooks free of outputs except nbval expectations.

:mod:`dcbook.build` ties them together.
"""
