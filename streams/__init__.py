"""The stream processors: consent-sync, sharing router, de-identifier and lab sink."""
