"""Qt-free core of BERT Lab: model store, ONNX graphs, tokenizers and the labs' pure functions."""
