"""The numpy training engine two labs share: BERT's forward and hand-written backward pass
(:mod:`.bert_numpy`) and AdamW (:mod:`.optim`). The Fine-tuning lab trains heads and encoders with
it; the Pre-training lab trains a tiny BERT and GPT from random weights."""
