"""The Benchmarks lab's computations: what perplexity, BLEU, chrF, ROUGE, METEOR, multiple-choice
accuracy, SQuAD's exact match and F1 and the GLUE scores measure, run on the lab's own models."""
