"""Building the store: the pinned artifacts, the converters and the ONNX graph builders.

Everything here runs when a model or tokenizer is made (``bert-lab models build``/``import``, the
window's build and import dialogs, saving a fine-tuned encoder, ``packaging/``), never when a lab
runs one: these modules import ``onnx`` (about a second with the GIL held), ``gguf`` and
``safetensors``. The import-linter contract "run-time code never imports the build code" in
``pyproject.toml`` keeps the labs, the window and the other commands off this package.
"""
