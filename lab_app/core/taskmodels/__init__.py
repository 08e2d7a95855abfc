"""Task models at run time: a store entry that tags, answers or judges a pair (see
:mod:`~lab_app.core.taskmodels.task_model`), and what any lab needs to run and score one —
:mod:`~lab_app.core.taskmodels.infer` (tag, answer, pair, whole labelled files),
:mod:`~lab_app.core.taskmodels.spans` (a span model's logits decoded into answers),
:mod:`~lab_app.core.taskmodels.tags` (a tagger's scores read back as word tags),
:mod:`~lab_app.core.taskmodels.iob` (IOB2 entities and entity-level scores) and
:mod:`~lab_app.core.taskmodels.squad` (SQuAD v1.1 files, windows and the official metrics)."""
