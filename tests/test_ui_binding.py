"""Guard against a Qt binding that corrupts reference counts (PySide6 6.12.0 drops a reference to None on
every call of a method returning nothing; on Python < 3.12 the wizard then aborts with
"none_dealloc" after a few thousand edits). pyproject excludes that version; this test catches the next one."""
import sys



from ui.qt import QLabel, Qt, QTreeWidgetItem


def test_void_calls_keep_the_reference_count_of_none(qapp):
    label = QLabel()
    item = QTreeWidgetItem(["a"])
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        item.setForeground(0, Qt.red)
    assert before - sys.getrefcount(None) < 100
