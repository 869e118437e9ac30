"""Chinese for the 用途 column of the question workbook (import, export and template)."""

T = {
    "Use must be 练习和考试 or 仅用于考试.": "用途须填写“练习和考试”或“仅用于考试”。",
}
