import pathlib
import sys

# The suite-level tests are not an addon: make tests/common.py importable.
sys.path.insert(0, str(pathlib.Path(__file__).parent))
