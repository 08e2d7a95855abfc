"""Masked language modelling, shared by every lab that shows or trains it: BERT's 15% / 80-10-10
masking (:mod:`masking`) and the masked-LM head (:mod:`head`). Fill-mask predicts with them, and
a lab that pre-trains or fine-tunes with a masked-LM objective draws its masks with the same code.
"""
