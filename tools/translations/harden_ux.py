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
}
