# Strings whose Chinese each branch found in another app's catalogue; after merging they need their own.
T = {
    "Name": "姓名", "Account": "账号", "title": "标题", "to be announced": "待定", "Seat": "座位号",
    "Completed": "已完成", "Overdue": "已逾期", "Due %(date)s": "截止 %(date)s",
    "%(done)s/%(total)s lessons": "%(done)s/%(total)s 课时", "Search": "搜索", "Exam report": "成绩分析",
}
