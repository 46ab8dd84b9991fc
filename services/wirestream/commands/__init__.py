"""Sub-commands of ``wirestream``. Each module has ``register(subparsers)`` and sets ``run``.

Entry points configure logging (:func:`wirestream.logs.configure`); nothing else does.
"""
