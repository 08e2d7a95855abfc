"""The Pre-training lab's core: static word vectors, sentence and contextual similarity (no Qt)."""
