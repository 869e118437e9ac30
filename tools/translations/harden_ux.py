T = {
    "The file is damaged: “%(name)s” cannot be read to the end. Open it in Excel or WPS, save it again "
    "and upload the new copy.": "文件已损坏：“%(name)s”无法完整读取。请用 Excel 或 WPS 打开后重新保存，再上传新的文件。",
    "The file is damaged: it cannot be read to the end. Open it in Excel or WPS, save it again and "
    "upload the new copy.": "文件已损坏：无法完整读取。请用 Excel 或 WPS 打开后重新保存，再上传新的文件。",
}
