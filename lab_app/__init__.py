"""BERT Lab: an offline desktop teaching lab for pre-training, fine-tuning and embeddings."""

__version__ = "0.1.0"
