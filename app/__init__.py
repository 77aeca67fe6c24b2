"""年报助手 (nianbao) core: report model, format data, rules, files, import and export.

This package never imports Qt; the desktop interface lives in ``ui``.
"""

__version__ = "0.1.0"
