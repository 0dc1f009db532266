// Nothing to build: the crate only pins the corpus.
