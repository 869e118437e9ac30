# Signing out on a shared device (#10): the exam copies are removed, unsent answers are kept and said so.
T = {
    "{n} answers on this device have not been uploaded yet. They stay on this device and upload when you sign "
    "in again and open the exam. Sign out now?":
        "本设备上还有 {n} 题答案尚未上传。退出后这些答案仍保存在本设备上，您再次登录并打开考试时会自动上传。确定退出吗？",
}
