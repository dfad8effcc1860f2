"""The data layer: the files and data sets the networks learn from (chapters 1, 7, 8, 10, 12).

idx (IDX files), download (verified downloads), mnist (MNIST, Fashion-MNIST, splits), toy (truth
tables, 2-D sets), preprocess (a drawing to an MNIST digit), augment (distorted digits to train on).
"""
from ..losses import one_hot
from .download import DataNotFoundError
from .idx import ChecksumError, read_idx, write_idx
from .mnist import (FASHION_CLASSES, download_dataset, load_fashion_mnist, load_mnist,
                    stratified_subset, train_validation_split)

__all__ = ["load_mnist", "load_fashion_mnist", "download_dataset", "one_hot",
           "train_validation_split", "stratified_subset", "FASHION_CLASSES", "read_idx",
           "write_idx", "ChecksumError", "DataNotFoundError"]
