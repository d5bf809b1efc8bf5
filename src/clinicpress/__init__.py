"""clinicpress: lint, audit and publish health-clinic articles."""

__version__ = "0.1.0"
