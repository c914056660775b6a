"""The upload service: content checks, image processing (EXIF orientation, metadata stripped,
variants, bombs refused), limits, Office documents, serving with the right headers."""

import io
import zipfile

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from nitet_online.extensions import db
from nitet_online.uploads.models import DOCUMENT, IMAGE, attachments_of
from nitet_online.uploads.services import (
    UploadError,
    attach,
    delete_upload,
    file_path,
    save_upload,
)
from tests.conftest import login
from tests.files import docx_bytes, jpeg_with_exif, pdf_bytes, pptx_bytes, xlsx_bytes


def _file(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_sideways_phone_photo_is_stored_upright_without_gps(app_context):
    # A phone held upright stores a landscape 400×300 image with orientation 6 (rotate 90°) and GPS.
    data = jpeg_with_exif(400, 300, orientation=6, with_gps=True)
    assert b"GPS" in data or Image.open(io.BytesIO(data)).getexif().get(0x8825)
    upload = save_upload(_file(data, "IMG_2041.JPG"), owner_id=None, accept={IMAGE})
    db.session.commit()
    stored = Image.open(file_path(upload))
    assert stored.size == (300, 400)  # upright: portrait
    assert (upload.width, upload.height) == (300, 400)
    exif = stored.getexif()
    assert 0x8825 not in exif and 0x0112 not in exif  # no GPS, no orientation tag
    assert "exif" not in stored.info
    for variant in ("thumb", "medium", "large"):
        image = Image.open(file_path(upload, variant))
        assert max(image.size) <= {"thumb": 320, "medium": 960, "large": 1920}[variant]
        assert not image.getexif()


def test_left_top_pixel_follows_the_rotation(app_context):
    # Mark the top-left corner red in stored orientation; after rotating 90° clockwise (EXIF 6)
    # that corner ends up top-right.
    image = Image.new("RGB", (400, 300), "white")
    image.paste((255, 0, 0), (0, 0, 40, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    upload = save_upload(_file(buffer.getvalue(), "photo.jpg"), None, {IMAGE})
    stored = Image.open(file_path(upload)).convert("RGB")
    red, green, blue = stored.getpixel((stored.width - 10, 10))
    assert red > 200 and green < 80 and blue < 80


def test_executable_renamed_as_jpg_is_refused(app_context):
    with pytest.raises(UploadError, match="ไม่อนุญาต"):
        save_upload(_file(b"MZ\x90\x00" + b"\x00" * 200, "holiday.jpg"), None, {IMAGE})


def test_text_renamed_as_jpg_is_refused(app_context):
    with pytest.raises(UploadError, match="ไม่ใช่รูปภาพ"):
        save_upload(_file(b"hello, not an image", "holiday.jpg"), None, {IMAGE})


def test_decompression_bomb_of_60_megapixels_is_refused(app_context):
    # A small PNG file that claims 60 megapixels: refused from its header, before decoding.
    image = Image.new("1", (10000, 6000))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(UploadError, match="ความละเอียดสูงเกินไป"):
        save_upload(_file(buffer.getvalue(), "bomb.png"), None, {IMAGE})


def test_oversized_file_is_refused(app_context):
    app_context.config["UPLOAD_MAX_DOCUMENT_MB"] = 1
    big = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)
    with pytest.raises(UploadError, match="ใหญ่เกินกำหนด"):
        save_upload(_file(big, "big.pdf"), None, {DOCUMENT})


@pytest.mark.parametrize(
    ("maker", "name", "content_type"),
    [
        (pdf_bytes, "แผนการนิเทศ.pdf", "application/pdf"),
        (docx_bytes, "รายงาน.docx", "wordprocessingml"),
        (xlsx_bytes, "คะแนน.xlsx", "spreadsheetml"),
        (pptx_bytes, "สไลด์.pptx", "presentationml"),
    ],
)
def test_office_documents_are_accepted(app_context, maker, name, content_type):
    data = maker()  # made once: openpyxl stamps the current second into the file
    upload = save_upload(_file(data, name), None, {DOCUMENT})
    db.session.commit()
    assert upload.kind == DOCUMENT and content_type in upload.content_type
    assert upload.original_name == name
    assert file_path(upload).read_bytes() == data


def test_document_whose_content_does_not_match_its_extension(app_context):
    with pytest.raises(UploadError, match=r"ไม่ตรงกับชนิด \.docx"):
        save_upload(_file(pdf_bytes(), "report.docx"), None, {DOCUMENT})
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    with pytest.raises(UploadError):
        save_upload(_file(fake.getvalue(), "report.xlsx"), None, {DOCUMENT})


def test_svg_and_unknown_types_are_refused(app_context):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    with pytest.raises(UploadError, match="ไม่รองรับ"):
        save_upload(_file(svg, "logo.svg"), None, {IMAGE, DOCUMENT})
    with pytest.raises(UploadError, match="ช่องนี้รับเฉพาะรูปภาพ"):
        save_upload(_file(pdf_bytes(), "a.pdf"), None, {IMAGE})


def test_path_traversal_names_are_neutralised(app_context):
    upload = save_upload(_file(pdf_bytes(), "../../etc/passwd.pdf"), None, {DOCUMENT})
    assert upload.original_name == "passwd.pdf"
    assert file_path(upload).resolve().is_relative_to(app_context.config["UPLOAD_DIR"])


def test_attach_and_delete(app_context):
    upload = save_upload(_file(pdf_bytes(), "a.pdf"), None, {DOCUMENT})
    attach("news", 7, upload, caption="เอกสารประกอบ")
    db.session.commit()
    assert [a.upload.original_name for a in attachments_of("news", 7)] == ["a.pdf"]
    path = file_path(upload)
    delete_upload(upload)
    db.session.commit()
    assert not path.exists()
    assert attachments_of("news", 7) == []


def test_files_are_served_with_content_type_and_disposition(demo_app, demo_client):
    with demo_app.app_context():
        document = save_upload(_file(docx_bytes(), "คู่มือครู.docx"), None, {DOCUMENT})
        photo = save_upload(_file(jpeg_with_exif(200, 100), "a.jpg"), None, {IMAGE})
        db.session.commit()
        doc_url, photo_url = document.url(), photo.url("thumb")
    response = demo_client.get(doc_url)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E0%B8%84" in disposition  # the Thai name, percent-encoded
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    image = demo_client.get(photo_url)
    assert image.headers["Content-Type"] == "image/jpeg"
    assert image.headers["Content-Disposition"].startswith("inline;")
    assert demo_client.get("/files/not-a-token").status_code == 404


def test_editor_upload_endpoint(demo_client):
    assert demo_client.post("/files/upload").status_code == 302  # login first
    login(demo_client, "teacher1")
    response = demo_client.post(
        "/files/upload?kind=image",
        data={"file": (io.BytesIO(jpeg_with_exif(50, 50)), "รูป.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert response.get_json()["markdown"].startswith("![รูป.jpg](/files/")
    refused = demo_client.post(
        "/files/upload?kind=image",
        data={"file": (io.BytesIO(b"MZ..."), "virus.jpg")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400 and "ไม่อนุญาต" in refused.get_json()["error"]


# Added with the supervisor pages and news (issue 3) ------------------------------------------
def test_a_valid_png_with_transparency_stays_a_png_with_variants(app_context):
    image = Image.new("RGBA", (1200, 800), (0, 0, 0, 0))
    image.paste((31, 78, 140, 255), (100, 100, 600, 400))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    upload = save_upload(_file(buffer.getvalue(), "แผนภาพ.png"), None, {IMAGE})
    db.session.commit()
    assert upload.kind == IMAGE and upload.content_type == "image/png"
    assert (upload.width, upload.height) == (1200, 800)
    assert upload.variants == ["thumb", "medium", "large"]
    stored = Image.open(file_path(upload, "thumb"))
    assert stored.mode == "RGBA" and stored.size == (320, 213)
    assert stored.getpixel((0, 0))[3] == 0  # transparency kept


def test_an_oversized_photo_is_refused_by_the_image_limit(app_context):
    app_context.config["UPLOAD_MAX_IMAGE_MB"] = 1
    noise = Image.effect_noise((1400, 1400), 90).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=98)
    assert len(buffer.getvalue()) > 1024 * 1024
    with pytest.raises(UploadError, match=r"ใหญ่เกินกำหนด \(สูงสุด 1 MB\)"):
        save_upload(_file(buffer.getvalue(), "big.jpg"), None, {IMAGE})


def test_a_request_over_the_server_limit_gets_a_thai_413(demo_app, demo_client):
    demo_app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    login(demo_client, "supervisor1")
    response = demo_client.post(
        "/files/upload",
        data={"file": (io.BytesIO(b"%PDF-1.4\n" + b"0" * (1200 * 1024)), "big.pdf")},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 413
    assert "ใหญ่เกิน" in response.get_json()["message"]
    assert "(ขนาดสูงสุด 1 MB)" in response.get_json()["message"]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("บันทึก.doc", "msword"), ("คะแนน.xls", "ms-excel"), ("สไลด์.ppt", "ms-powerpoint")],
)
def test_legacy_office_files_are_checked_by_their_ole2_header(app_context, name, content_type):
    ole2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 2048
    upload = save_upload(_file(ole2, name), None, {DOCUMENT})
    assert content_type in upload.content_type
    with pytest.raises(UploadError, match="ไม่ตรงกับชนิด"):
        save_upload(_file(b"plain text pretending" * 50, name), None, {DOCUMENT})


@pytest.mark.parametrize("name", ["คำสั่ง.pdf", "แบบฟอร์ม.docx", "setup.xlsx", "run.jpg"])
def test_programs_renamed_as_documents_or_photos_are_refused(app_context, name):
    for program in (
        b"MZ\x90\x00" + b"\x00" * 256,
        b"\x7fELF\x02\x01\x01" + b"\x00" * 256,
        b"#!/bin/sh\nrm -rf /\n",
    ):
        with pytest.raises(UploadError, match="ไม่อนุญาตให้อัปโหลดไฟล์โปรแกรมหรือสคริปต์"):
            save_upload(_file(program, name), None, {IMAGE, DOCUMENT})


def test_a_large_photo_is_kept_at_the_configured_longest_side(app_context):
    """UPLOAD_FULL_IMAGE_MAX_SIDE (config.py, 3200 by default) bounds the kept original."""
    assert app_context.config["UPLOAD_FULL_IMAGE_MAX_SIDE"] == 3200
    app_context.config["UPLOAD_FULL_IMAGE_MAX_SIDE"] = 400
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 500), "navy").save(buffer, "JPEG")
    upload = save_upload(_file(buffer.getvalue(), "wide.jpg"), None, {IMAGE})
    assert (upload.width, upload.height) == (400, 200)
