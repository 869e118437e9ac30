T = {
    # Sign-in lockout (issue 15 item 1)
    "Too many failed sign-ins came from this network address. Sign-in from here is paused for %(minutes)s minute.":
        "此网络地址登录失败次数过多，暂停从此处登录 %(minutes)s 分钟。",
    "For your account's safety, sign-in is paused for %(minutes)s minute, whichever way you type your account.":
        "为保护账号安全，该账号已暂停登录 %(minutes)s 分钟（无论以用户名、身份证号还是手机号登录）。",
    "You can try again after %(time)s.": "请于 %(time)s 之后再试。",
    "Forgot your password? HR can unlock your account or issue a new initial code; staff ask a system administrator.":
        "忘记密码？执法人员可请人事管理员解除锁定或重新发放初始密码；管理人员请联系系统管理员。",
    "Back to sign-in": "返回登录",
    "You can try %(count)d more time; then sign-in is paused for %(minutes)d minutes.":
        "还可尝试 %(count)d 次，之后将暂停登录 %(minutes)d 分钟。",
    "Locked accounts": "登录锁定",
    "Accounts locked after repeated failed sign-ins. A lock lifts by itself when its time is up; unlock an account "
    "once you have confirmed it was its owner who mistyped. Issuing a new initial code also unlocks an officer's "
    "account.": "以下账号因多次登录失败被锁定。锁定到期后自动解除；确认是本人输错后可提前解除。"
    "为执法人员重新发放初始密码也会解除锁定。",
    "Failed attempts": "失败次数",
    "Locked until": "锁定至",
    "Unlock": "解除锁定",
    "No account is locked.": "当前没有被锁定的账号。",
    "Sign-in unlocked for %(name)s.": "已解除 %(name)s 的登录锁定。",
}
T.update({
    # HR manages officers' accounts only (issue 15 item 3)
    "This account has staff rights; only a superuser may issue it a new code.":
        "该账号具有管理权限，只有超级管理员可以为其发放新的初始密码。",
    "This person's account (%(account)s) has staff rights; only a superuser may change it by import.":
        "此人的账号（%(account)s）具有管理权限，只有超级管理员可以通过导入修改。",
    "(%(name)s is missing from the file.)": "（文件中缺少 %(name)s。）",
})
T.update({
    # Question use (issue 15 item 4)
    "Practice and exams": "练习和考试", "Exams only": "仅用于考试", "use": "用途",
    "Practice and exams: officers may practise it and see its key after answering. Exams only: it never "
    "appears in practice.": "练习和考试：学员可以练习此题，作答后可看到答案。仅用于考试：此题不会出现在练习中。",
    "exams-only questions only": "仅抽取“仅用于考试”的试题",
    "Draw only questions whose use is “exams only”, so that no paper question can have been practised with its "
    "key.": "只从用途为“仅用于考试”的试题中组卷，试卷中的题目不会在练习中被看到答案。",
    "This blueprint draws only exams-only questions.": "本方案只抽取“仅用于考试”的试题。",
    "Of the %(drawable)s questions this blueprint can draw, %(practisable)s are open to practice by officers (they "
    "may have seen their keys).": "本方案可抽取的 %(drawable)s 道题中有 %(practisable)s 道对学员练习开放（学员可能已看过答案）。",
    # Bad parameters (issue 15 item 10)
    "Bad request": "请求有误",
    "This request cannot be handled": "无法处理此请求",
    "The link has a malformed parameter; choose what to practise again.": "链接中的参数有误，请重新选择练习内容。",
    "The form has a malformed parameter; open the practice page again.": "表单参数有误，请重新打开练习页面。",
    "The answer is too long: at most %(count)d characters per blank.": "答案太长：每个空最多 %(count)d 个字。",
    "Back to practice": "返回练习",
    "The address or the form contains characters that are not allowed. Go back and try again.":
        "网址或表单中含有不允许的字符（参数有误），请返回后重试。",
})
T.update({"Name": "姓名", "Squad": "中队", "Account": "账号"})
