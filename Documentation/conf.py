# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration of hpmm's documentation (`make docs`): the kernel's
# own kernel-doc extension and script, from Debian's linux-source-6.1
# (unpacked into .cache/linux-source by scripts/install-deps), pull the
# kernel-doc comments of the code in through `.. kernel-doc::` directives.
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
KSRC = os.environ.get('HPMM_KSRC', os.path.join(ROOT, '.cache', 'linux-source'))
sys.path.insert(0, os.path.join(KSRC, 'Documentation', 'sphinx'))

project = 'hpmm'
author = 'hpmm developers'
copyright = 'hpmm developers, GPL-2.0'
master_doc = 'index'
extensions = ['kerneldoc']
kerneldoc_bin = os.path.join(KSRC, 'scripts', 'kernel-doc')
kerneldoc_srctree = ROOT
exclude_patterns = ['_build']
html_theme = 'alabaster'
