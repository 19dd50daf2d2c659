"""Writes the demo meeting's documents (server/demo_files/*.pdf). Run once; the PDFs are committed.

    .venv/bin/python scripts/make_demo_documents.py
"""
from __future__ import annotations

import io
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

OUT = Path(__file__).resolve().parent.parent / "server" / "demo_files"
pdfmetrics.registerFont(TTFont("Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("Sans-Bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"))
W, H = A4


def header(c, agency: str, number: str):
    c.setFont("Sans-Bold", 10)
    c.drawCentredString(5.2 * cm, H - 2 * cm, "ỦY BAN NHÂN DÂN")
    c.drawCentredString(5.2 * cm, H - 2.5 * cm, agency)
    c.setFont("Sans", 10)
    c.drawCentredString(5.2 * cm, H - 3.1 * cm, f"Số: {number}")
    c.setFont("Sans-Bold", 10)
    c.drawCentredString(14.5 * cm, H - 2 * cm, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.drawCentredString(14.5 * cm, H - 2.5 * cm, "Độc lập – Tự do – Hạnh phúc")
    c.line(12.3 * cm, H - 2.65 * cm, 16.7 * cm, H - 2.65 * cm)
    c.setFont("Sans", 10)
    c.drawCentredString(14.5 * cm, H - 3.1 * cm, "Bình Minh, ngày 20 tháng 11 năm 2026")


def paragraph(c, text: str, y: float, size: int = 11, width: float = 16.5 * cm) -> float:
    c.setFont("Sans", size)
    words, line = text.split(), ""
    for word in words:
        trial = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(trial, "Sans", size) > width:
            c.drawString(2.5 * cm, y, line)
            y -= size * 1.5
            line = word
        else:
            line = trial
    if line:
        c.drawString(2.5 * cm, y, line)
        y -= size * 1.5
    return y - size * 0.5


def chart(seed: int) -> ImageReader:
    random.seed(seed)
    image = Image.new("RGB", (900, 420), "white")
    draw = ImageDraw.Draw(image)
    values = [random.randint(40, 100) for _ in range(11)]
    for i, value in enumerate(values):
        x = 40 + i * 78
        draw.rectangle([x, 400 - value * 3.6, x + 50, 400], fill=(30 + i * 8, 70, 140))
    draw.line([30, 400, 880, 400], fill="black", width=2)
    for i in range(0, 900, 3):
        draw.point((i, 200 + 60 * math.sin(i / 60)), fill=(200, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    out.seek(0)
    return ImageReader(out)


BODY = ("Trong tháng, Ủy ban nhân dân huyện đã tập trung chỉ đạo các ngành, các xã, thị trấn thực hiện đồng bộ các "
        "giải pháp phát triển kinh tế – xã hội, bảo đảm quốc phòng, an ninh. Giá trị sản xuất nông nghiệp ước tăng "
        "3,2% so với cùng kỳ; thu ngân sách nhà nước trên địa bàn đạt 91,4% dự toán năm; giải ngân vốn đầu tư công "
        "đạt 68,7% kế hoạch. Công tác cải cách hành chính, chuyển đổi số tiếp tục được đẩy mạnh, tỷ lệ hồ sơ trực "
        "tuyến toàn trình đạt 74%.")


def report(path: Path, title: str, number: str, pages: int, seed: int):
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(title)
    for page in range(1, pages + 1):
        if page == 1:
            header(c, "HUYỆN BÌNH MINH", number)
            c.setFont("Sans-Bold", 14)
            c.drawCentredString(W / 2, H - 4.6 * cm, title.upper()[:70])
            y = H - 6 * cm
        else:
            y = H - 2.5 * cm
        c.setFont("Sans-Bold", 12)
        c.drawString(2.5 * cm, y, f"{['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'][(page - 1) % 8]}. "
                                  f"Nội dung phần {page}")
        y = paragraph(c, BODY, y - 0.9 * cm)
        if page % 2 == 0:
            c.drawImage(chart(seed + page), 2.5 * cm, y - 8 * cm, width=16 * cm, height=7.5 * cm)
            y -= 8.6 * cm
        else:
            c.setFont("Sans-Bold", 10)
            rows = [("Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ")] + [
                (f"Chỉ tiêu {i}", f"{100 + i * 7}", f"{90 + i * 6}", f"{(90 + i * 6) / (100 + i * 7) * 100:.1f}%")
                for i in range(1, 9)]
            for r, row in enumerate(rows):
                c.setFont("Sans-Bold" if r == 0 else "Sans", 10)
                for col, cell in enumerate(row):
                    c.drawString(2.7 * cm + col * 4.1 * cm, y - r * 0.65 * cm, cell)
                c.setStrokeColor(colors.grey)
                c.line(2.5 * cm, y - r * 0.65 * cm - 0.2 * cm, 19 * cm, y - r * 0.65 * cm - 0.2 * cm)
            y -= len(rows) * 0.65 * cm + 0.6 * cm
        y = paragraph(c, BODY, y)
        c.setFont("Sans", 9)
        c.drawCentredString(W / 2, 1.5 * cm, f"{page}/{pages}")
        c.showPage()
    c.save()


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    report(OUT / "bao-cao-kt-xh-thang-11.pdf", "Báo cáo tình hình kinh tế – xã hội tháng 11 năm 2026",
           "245/BC-UBND", 8, 1)
    report(OUT / "to-trinh-du-toan-2027.pdf", "Tờ trình dự toán thu, chi ngân sách huyện năm 2027",
           "118/TTr-UBND", 5, 2)
    report(OUT / "de-an-sap-xep-thon.pdf", "Đề án sắp xếp, sáp nhập thôn, tổ dân phố giai đoạn 2026–2027",
           "07/ĐA-UBND", 4, 3)
    for p in sorted(OUT.glob("*.pdf")):
        print(p.name, p.stat().st_size)
