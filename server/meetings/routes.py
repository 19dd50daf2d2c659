from flask import Blueprint
bp = Blueprint("meetings", __name__)

@bp.get("/")
def index():
    return "TODO"
