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
