# Strings of the one-request start (#10): the start page's button shown at zero, the stopped save state.
T = {
    "When the exam opens, the start button appears here.": "开考时间一到，开始按钮会出现在这里。",
    "The proctor has not opened the exam yet. This page checks again every 30 seconds.":
        "监考员尚未开考，本页每 30 秒自动查看一次。",
    "Not saving on this device": "本设备已停止保存",
}
