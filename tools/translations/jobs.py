T = {
    # lms.jobs: models and services
    "Background jobs": "后台任务", "Waiting": "等待中", "Running": "进行中", "Finished": "已完成", "Failed": "失败",
    "started by": "发起人", "message": "信息", "created": "创建时间", "finished": "完成时间",
    "job": "任务", "jobs": "任务",
    "The job stopped because of an unexpected error; nothing was changed. Try again, and tell the administrator if it happens again.":
        "任务因意外错误中止，没有任何改动。请重试；如再次出现，请联系系统管理员。",
    "The job did not finish within its time limit (%(minutes)d min); nothing was changed. You can restart it.":
        "任务未在时限（%(minutes)d 分钟）内完成，没有任何改动。可以重新开始该任务。",
    "No worker picked the job up in time; nothing was changed. You can restart it.":
        "任务长时间无人处理，没有任何改动。可以重新开始该任务。",
    # lms.jobs: screens
    "My jobs": "我的任务", "Recent jobs of all users": "所有用户的近期任务",
    "Only a failed job can be restarted.": "只有失败的任务才能重新开始。",
    "This file is no longer kept; run the job again.": "该文件已过保存期限，请重新运行任务。",
    "Started at": "开始于", "finished at": "完成于", "The job failed.": "任务失败。",
    "Restart the job": "重新开始任务", "The job has finished.": "任务已完成。",
    "This page updates by itself; you may leave it and come back from “My jobs”.":
        "本页会自动更新；也可以先离开，稍后从“我的任务”回来查看。",
    "The connection was interrupted; retrying…": "连接中断，正在重试…", "Refresh": "刷新",
    "Files are kept for a limited time and only you can download them.": "文件只保存一段时间，且只有您本人可以下载。",
    "Job": "任务", "Started by": "发起人", "Progress": "进度", "Message": "信息", "Filter": "筛选", "All": "全部",
    "status": "状态", "Status": "状态", "Pages": "分页", "Previous": "上一页", "Next": "下一页", "Page %(n)s of %(total)s": "第 %(n)s 页，共 %(total)s 页",
    "No jobs yet. Imports, printables and exports you start appear here with their progress and results.":
        "还没有任务。您发起的导入、打印材料和导出会在这里显示进度和结果。",
}
T.update({
    # roster import as a job
    "Roster import": "花名册导入",
    "The uploaded roster is no longer kept (uploads are removed after a day); upload it again.":
        "上传的花名册已不再保存（上传文件一天后清除），请重新上传。",
    "Reading and checking the workbook": "正在读取并检查工作簿",
    "The roster has changed since the preview, so the file no longer passes the checks; nothing was imported. Upload it again to see the current preview.":
        "预览之后花名册已有变化，文件未能通过检查，未导入任何数据。请重新上传以查看最新预览。",
    "Writing the account slips": "正在生成账号单",
    "Roster import: %(file)s": "花名册导入：%(file)s",
    "An import you started is still running:": "您发起的导入仍在进行：",
    "The slips have expired. Issue new initial codes from the people list if someone lost his.":
        "账号单已过期。如有人遗失，请在人员列表中为其重置初始登录码。",
})
T.update({
    # question import as a job
    "Question import": "试题导入",
    "The uploaded file is no longer kept (uploads are removed after a day); upload it again.":
        "上传的文件已不再保存（上传文件一天后清除），请重新上传。",
    "Reading and checking the questions": "正在读取并检查试题",
    "The bank has changed since the preview, so the file no longer passes the checks; nothing was imported. Upload it again to see the current preview.":
        "预览之后题库已有变化，文件未能通过检查，未导入任何数据。请重新上传以查看最新预览。",
    "Question import: %(file)s": "试题导入：%(file)s",
    "Imported: %(create)s new, %(update)s updated, %(unchanged)s unchanged.": "已导入：新增 %(create)s，更新 %(update)s，未变 %(unchanged)s。",
    "New knowledge points:": "新建知识点：", "Go to the questions": "查看试题",
    # printables and completion export as jobs
    "Printables of an exam session": "考试场次打印材料", "The exam session no longer exists.": "该考试场次已不存在。",
    "Drawing the PDF": "正在生成 PDF", "Printables: %(session)s": "打印材料：%(session)s", "Printables": "打印材料",
    "One PDF with the admission tickets, a sign-in sheet per venue, and each candidate's paper with its answer sheet. Large sessions take a minute or two; you will see the progress.":
        "一个 PDF 文件，包含准考证、各考场签到表以及每位考生的试卷和答题卡。考生较多时需要一两分钟，页面会显示进度。",
    "Generate the printables": "生成打印材料", "Back to the session": "返回考试场次", "Generated earlier": "以前生成的",
    "Study completion export": "学习完成情况导出", "The study plan no longer exists.": "该学习计划已不存在。",
    "Collecting study records": "正在汇总学习记录", "Writing the workbook": "正在写入工作簿",
    "Study completion (Excel)": "学习完成情况（Excel）", "Study completion: %(plan)s": "学习完成情况：%(plan)s",
})
T.update({
    "Reading the workbook": "正在读取工作簿", "Checking %(rows)s rows": "正在检查 %(rows)s 行",
    "Writing %(rows)s rows to the roster": "正在将 %(rows)s 行写入花名册",
})
