"""Training and evaluation: datasets, augmentation, the three trainers and the evaluations.

The runtime never imports this package; it imports the runtime.
"""
