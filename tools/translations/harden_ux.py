T = {
    "The file is damaged: “%(name)s” cannot be read to the end. Open it in Excel or WPS, save it again "
    "and upload the new copy.": "文件已损坏：“%(name)s”无法完整读取。请用 Excel 或 WPS 打开后重新保存，再上传新的文件。",
    "The file is damaged: it cannot be read to the end. Open it in Excel or WPS, save it again and "
    "upload the new copy.": "文件已损坏：无法完整读取。请用 Excel 或 WPS 打开后重新保存，再上传新的文件。",
    "This question already exists as %(code)s: the same type, stem and options (ignoring spaces, full-width "
    "characters and the order of the options). Edit %(code)s instead.":
        "该题与已有题目 %(code)s 完全相同（题型、题干和选项一致，已忽略空格、全角字符和选项顺序），不能重复添加；请直接编辑 %(code)s。",
    "This question already exists as %(code)s: the same type, stem and options "
    "(ignoring spaces, full-width characters and the order of the options).":
        "该题与已有题目 %(code)s 完全相同（题型、题干和选项一致，已忽略空格、全角字符和选项顺序），不能重复导入。",
    "The same question as %(where)s of this file (same type, stem and options).":
        "与本文件%(where)s的题目完全相同（题型、题干和选项一致），不能重复导入。",
    "Already in the bank as %(code)s: it is updated, not added again.": "已在题库中（%(code)s）：按编号更新，不会重复新增。",
    "Already in the bank as %(code)s (same content; the row has no code): it is updated, not added again.":
        "已在题库中（%(code)s，本行无编号、内容完全相同）：更新该题，不会重复新增。",
    "%(n)s question of this file is already in the bank: it is updated (matched by its code, or by identical "
    "content where the row has no code), not added again.":
        "本文件中有 %(n)s 道题已在题库中：将按编号（无编号的行按完全相同的内容）更新这些题目，不会重复新增。",
    "Questions": "题目",
    "Active questions of the bank; officers answer them with immediate feedback.": "从题库中选择已启用的题目；学员作答后立即看到对错和解析。",
    "Question %(code)s is chosen twice.": "题目 %(code)s 重复选择了。",
    "Question %(code)s is not active (draft or retired): officers would not see it. Activate it in the question "
    "bank or choose another.": "题目 %(code)s 未启用（草稿或已停用），学员看不到它。请先在题库中启用，或另选题目。",
    "Saved, but the active bank cannot fill it yet: %(issue)s": "已保存，但题库中启用的题目暂时不够组卷：%(issue)s",
    # Django's and Wagtail's own strings our users see (lms/core/framework_strings.py)
    "This password is too short. It must contain at least %d character.": "密码太短，至少需要 %d 个字符。",
    "Go to the first error": "转到第一个错误",
    "New: %(model_name)s": "新建%(model_name)s",
    "To be created by %(user)s": "将由 %(user)s 创建",
    "Actions (footer)": "操作",
    "Saved": "已保存",
    "Autosave is paused": "自动保存已暂停",
    "Correct the validation errors to resume preview (saving will highlight errors)":
        "请先改正填写错误再继续预览（保存时会标出错误）",
    "Checks": "检查",
    "Toggle checks": "显示或隐藏检查",
    "Show issue": "查看问题",
    "Content metrics": "内容统计",
    "Words": "字数",
    "Reading time": "阅读时间",
    "Readability": "可读性",
    "This data explained": "数据说明",
    "Locking: ": "锁定：",
    "Anyone can edit this %(model_name)s – lock it to prevent others from editing":
        "任何人都可以编辑此%(model_name)s——锁定后其他人无法编辑",
    "Anyone can edit this %(model_name)s": "任何人都可以编辑此%(model_name)s",
    "Referenced %(count)s time": "被引用 %(count)s 次",
    "Sort by '%(label)s' in ascending order.": "按“%(label)s”升序排列。",
    "Sort by '%(label)s' in descending order.": "按“%(label)s”降序排列。",
    '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>':
        '%(total)s 个页面<span class="w-sr-only">（%(site_name)s）</span>',
    '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>':
        '%(total)s 个文档<span class="w-sr-only">（%(site_name)s）</span>',
    '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>':
        '%(total)s 张图片<span class="w-sr-only">（%(site_name)s）</span>',
    "Search all pages…": "搜索全部页面…",
    "Edit account avatar": "修改头像",
    "Pages created here will not be accessible at any URL. To add pages to an existing site, create them as "
    "children of the homepage.": "在此处创建的页面没有网址，无法访问。要给现有站点添加页面，请在首页下创建子页面。",
    "%(num_parent_objects)d page": "%(num_parent_objects)d 个页面",
    "%(num_child_objects)d child page": "%(num_child_objects)d 个子页面",
    "%(num_pages)d page": "%(num_pages)d 个页面",
    "Date updated": "更新日期",
    "Edited by": "编辑者",
    "Has child pages": "有子页面",
    "Any": "不限",
    "Page type": "页面类型",
    "Grid layout": "网格显示",
    "List layout": "列表显示",
    "Oldest": "最早",
    "Usage count: (low to high)": "引用次数（从少到多）",
    "Usage count: (high to low)": "引用次数（从多到少）",
    "Use server language: %(language_name)s": "使用服务器的语言：%(language_name)s",
    "Theme preferences": "主题偏好",
    "More contrast": "高对比度",
    "Snug": "紧凑",
    "Enable custom keyboard shortcuts specific to Wagtail.": "启用后台专用的键盘快捷键。",
    # Home pages (officer home, admin attention panel)
    "Next exam": "下一场考试",
    "When": "时间",
    "Where": "地点",
    "Enter the exam": "进入考试",
    "Opens in %(days)s day.": "%(days)s 天后开考。",
    "Opens today at %(time)s.": "今天 %(time)s 开考。",
    "No exam is scheduled for you.": "暂无需要参加的考试。",
    "Required courses": "必修课程",
    "No course is required of you this year.": "今年没有要求你学习的课程。",
    "Class hours this year": "今年学时",
    "Wrong answers to review": "待复习错题",
    "Review them": "去复习",
    "Practise": "去练习",
    "Needs attention": "需要关注",
    "Next exam session": "下一场考试",
    "No exam session is scheduled.": "暂无考试安排。",
    "%(candidates)s candidates, %(papers)s papers issued": "考生 %(candidates)s 人，已生成试卷 %(papers)s 份",
    "Not studied by the deadline": "逾期未完成学习",
    "due %(date)s": "截止 %(date)s",
    "%(n)s person has not completed it": "%(n)s 人未完成",
    "Everyone has completed the courses whose deadline has passed.": "已过截止日期的课程，所有人都已完成。",
    "Study completion by squad": "按中队查看学习完成情况",
    "Squads without a legal officer (法制员)": "没有法制员的中队",
    "Every squad has a legal officer.": "每个中队都有法制员。",
    "Roster warnings": "花名册提醒",
    "Status:": "状态：", "to be announced": "待定", "Seat": "座位号", "Ticket number": "准考证号",
    "Completed": "已完成", "Overdue": "已逾期", "Due %(date)s": "截止 %(date)s",
    "%(done)s/%(total)s lessons": "%(done)s/%(total)s 课时", "Account": "帐号",
}
