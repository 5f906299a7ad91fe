"""The shipped model files, rebuilt by ``scripts/train_classifiers.py``.

``*.json.gz``: linear models (gzip JSON, format 2). ``complaint_words.npz``: the complaint
model's word-vector heads (``engagement.classifiers._wordvec``), derived from the
sentence-transformers/all-MiniLM-L6-v2 encoder (Apache-2.0).
"""
