"""Imported at interpreter start if this folder were on sys.path: would patch the judge."""
import os

open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "SITECUSTOMIZE_RAN"), "w").close()
try:
    import prep.grading.judge as judge

    judge.precheck = lambda path: ""
except ImportError:
    pass
