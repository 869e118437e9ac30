# Strings of the exam-day work (#10) and the polish that came with it.
T = {
    "Essay questions (%(points)s points) are not marked in a mock exam and are not counted here.":
        "模拟考试不评阅主观题（共 %(points)s 分），此处得分不含这部分。",
    "Question %(n)s: choose True or False.": "第 %(n)s 题：请选择“正确”或“错误”。",
    "This year's results are published. Tick the confirmation to change its weights; the published result "
    "stays as it is until it is republished with a reason.":
        "本年度考核结果已发布。如需修改权重，请先勾选确认；已发布的结果保持不变，需填写理由重新发布后才采用新权重。",
    "This year's results are already published. I understand that the published result stays as it is and "
    "must be republished, with a reason, to use these weights.":
        "本年度考核结果已发布。我知道已发布的结果保持不变，须填写理由重新发布后才会采用这些权重。",
}
T.update({
    "A blueprint that draws only exams-only questions cannot be open for practice: mock exams show their keys "
    "afterwards.": "只抽取“仅用于考试”试题的组卷方案不能开放练习：模拟考试交卷后会显示答案。",
})
