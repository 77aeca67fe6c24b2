"""PySide6 desktop wizard of 年报助手. Every Qt import goes through :mod:`ui.qt`."""
