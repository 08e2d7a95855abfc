"""Task models at run time: a store entry that tags, answers or judges a pair (see
:mod:`~lab_app.core.taskmodels.task_model`)."""
