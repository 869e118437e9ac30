# Error pages in the interface's language (found by the review of #10: 404, 403, CSRF and 500 were Django's English).
T = {
    "Page not found": "页面不存在",
    "This page does not exist": "您要找的页面不存在",
    "The address may be mistyped or out of date, or the page belongs to another account.":
        "网址可能输入有误或已失效，也可能该页面属于其他账号。",
    "Not allowed": "无权访问",
    "Your account cannot open this page": "您的账号无权打开此页面",
    "If you need it for your work, ask the bureau's administrator for the right role.":
        "如工作需要，请联系本局管理员分配相应角色。",
    "The page has expired": "页面已过期",
    "The form was open too long, or you signed in again in another window. Go back, reload the page and send it "
    "again.": "页面打开时间过长，或您已在其他窗口重新登录。请返回并刷新页面后重新提交。",
    "Server error": "服务器错误",
    "Something went wrong on the server": "服务器出现错误",
    "Wait a moment and try again. If it keeps happening, tell the administrator when it happened.":
        "请稍后重试。如果多次出现，请将出错时间告知管理员。",
}
