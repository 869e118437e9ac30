T = {
    "Not started": "未开始", "In progress": "作答中", "Submitted": "已交卷",
    "The server at the deadline": "到时由系统交卷", "A proctor": "监考员", "Score entry of a paper exam": "纸笔考试录分",
    "kind": "类别", "started": "开始时间", "deadline": "截止时间", "submitted": "交卷时间",
    "submitted by": "交卷方式", "last save": "最近保存", "score": "得分", "passed": "是否及格",
    "attempt": "答卷", "attempts": "答卷", "Automatic marking": "自动阅卷", "First marker": "一评",
    "Second marker": "二评", "Arbiter": "仲裁", "Score entry": "录分", "Regrading": "重新评分",
    "given by": "评分来源", "comment": "评语", "Started": "开始作答", "Continued on another device": "在另一台设备上继续",
    "Left the page": "离开页面", "Left full screen": "退出全屏", "Time extended": "延长时间",
    "Allowed to re-enter": "允许重新进入", "Wrong access code": "考场码错误", "event": "事件", "time": "时间",
    "detail": "详情", "Exam": "考试", "Mock exam": "模拟考试", "The candidate": "考生本人",
    "extra time (minutes)": "延长时间（分钟）", "answered": "已答题数", "graded": "评分时间", "reason": "原因",
}
T.update({"Annual assessment": "年度考核", "Background jobs": "后台任务"})
