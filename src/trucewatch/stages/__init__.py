"""Extraction stages, one module each, run in this order by :mod:`trucewatch.pipeline`:

linking -> places -> times -> claims -> casualties -> events -> framing

Every stage is ``extract(ctx: Context) -> list[...]``: data in, data out, no I/O.
"""
