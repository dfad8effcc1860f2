"""``python -m mlp.data download [--dir DIR] [--dataset mnist|fashion]`` (see mlp.data.mnist)."""
import sys

from .mnist import main

sys.exit(main())
