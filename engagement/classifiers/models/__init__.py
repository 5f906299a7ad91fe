"""The shipped model files (gzip JSON), rebuilt by ``scripts/train_classifiers.py``."""
