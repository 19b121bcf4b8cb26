"""The web workbench: ``create_app`` builds the FastAPI app (see :mod:`trucewatch.web.app`)."""

from trucewatch.web.app import create_app

__all__ = ["create_app"]
