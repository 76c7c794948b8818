"""Chapter modules: the computations behind each book chapter, one module per chapter slug."""
