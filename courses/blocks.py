"""StreamField blocks of a lesson. Each has its own template in templates/blocks/ and an admin preview."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

PREVIEW_TEMPLATE = "blocks/preview.html"

# Words the block templates show. They live here, not in templates/blocks/, so they belong to this app's
# catalogue (the project catalogue does not scan app-owned templates).
BLOCK_LABELS = {
    "case": _("Case"),
    "facts": _("Facts"),
    "question": _("Question"),
    "show_analysis": _("Show the analysis"),
    "download": _("Download"),
    "download_video": _("Download the video"),
    "no_practice": _("The practice questions of this section are not available yet."),
}


class LabelledStructBlock(blocks.StructBlock):
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["labels"] = BLOCK_LABELS
        return context
TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]


class LawArticleBlock(blocks.StructBlock):
    """A quoted article of a law with its source, so an officer can cite it as 法条依据."""

    law = blocks.CharBlock(label=_("Law"), max_length=100, help_text=_("For example: 中华人民共和国行政强制法"))
    article = blocks.CharBlock(label=_("Article"), max_length=40, help_text=_("For example: 第十九条"))
    text = blocks.TextBlock(label=_("Text of the article"))

    class Meta:
        icon = "openquote"
        label = _("Law article")
        template = "blocks/law_article.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "law": "中华人民共和国宪法",
            "article": "第五条",
            "text": "中华人民共和国实行依法治国，建设社会主义法治国家。一切法律、行政法规和地方性法规都不得同宪法相抵触。",
        }
        description = _("A quoted article of a law, shown with its source")


class KeyPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=100, default="要点")
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Key point")
        template = "blocks/key_point.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"title": "要点", "text": "<p>采取强制措施前须向行政机关负责人报告并经批准。</p>"}
        description = _("A highlighted point the officer must remember")


class CaseStudyBlock(LabelledStructBlock):
    """Facts, then a question, then the analysis folded until the officer asks for it."""

    title = blocks.CharBlock(label=_("Title"), max_length=100)
    facts = blocks.TextBlock(label=_("Facts"))
    question = blocks.TextBlock(label=_("Question"))
    analysis = blocks.RichTextBlock(label=_("Analysis"), features=TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Case study")
        template = "blocks/case_study.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "title": "暂扣物品的保管费",
            "facts": "某中队依法扣押了占道经营的三轮车，当事人前来领取时被要求缴纳保管费。",
            "question": "中队的做法是否合法？",
            "analysis": "<p>不合法。行政强制法第二十六条规定，因查封、扣押发生的保管费用由行政机关承担。</p>",
        }
        description = _("Facts, a question and an analysis that opens on request")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"image": None, "caption": "执法记录仪全程记录"}
        description = _("An image from the library with a caption")


class VideoBlock(LabelledStructBlock):
    """A video file uploaded to the document library and served by us (no video site on an intranet)."""

    video = DocumentChooserBlock(label=_("Video file (MP4 or WebM)"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"video": None, "caption": "现场执法规范示范"}
        description = _("A self-hosted video from the document library")


class DocumentBlock(LabelledStructBlock):
    document = DocumentChooserBlock(label=_("Document (PDF)"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Document download")
        template = "blocks/document.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"document": None, "title": "行政强制法全文（PDF）"}
        description = _("A download link to a document from the library")


class QuestionChooserBlock(SnippetChooserBlock):
    """Wagtail's question chooser, storing the question's code (stable, readable in the stored JSON)
    rather than its id, and keeping the code as the block's value: the lesson fetches the questions of
    every practice block in one query, instead of one query per block."""

    def __init__(self, **kwargs):
        super().__init__("question_bank.Question", **kwargs)

    def to_python(self, value):
        return value or None

    def bulk_to_python(self, values):
        return [value or None for value in values]

    def get_prep_value(self, value):
        return getattr(value, "code", value) or None

    def value_for_form(self, value):
        # The chooser widget works with ids.
        if not value:
            return None
        return self.target_model.objects.filter(code=getattr(value, "code", value)).values_list("pk", flat=True).first()

    def value_from_form(self, value):
        if value is None or isinstance(value, self.target_model):
            return getattr(value, "code", None)
        return self.target_model.objects.filter(pk=value).values_list("code", flat=True).first()

    def get_form_state(self, value):
        return self.widget.get_value_data(self.value_for_form(value))

    def clean(self, value):
        return self.value_from_form(self.field.clean(self.value_for_form(value)))

    def extract_references(self, value):
        pk = self.value_for_form(value)
        if pk is not None:
            yield self.target_model, str(pk), "", ""


class PracticeQuestionsBlock(LabelledStructBlock):
    """Questions from the bank, picked with Wagtail's chooser. The lesson fetches every block's questions in
    one query (see LessonPage.get_context), so rendering stays cheap however many of these blocks there are."""

    title = blocks.CharBlock(label=_("Title"), max_length=100, default="随堂练习")
    questions = blocks.ListBlock(
        QuestionChooserBlock(label=_("Question from the bank")),
        label=_("Questions"),
        min_num=1,
        default=[None],  # a new block opens with one chooser ready
        help_text=_("Active questions of the bank; officers answer them with immediate feedback."),
    )

    class Meta:
        icon = "help"
        label = _("Practice questions")
        template = "blocks/practice_questions.html"
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"title": "随堂练习", "questions": []}
        description = _("Questions from the question bank, answered with immediate feedback")

    @staticmethod
    def codes_of(value) -> list[str]:
        # `value` is the block's StructValue (its list yields codes) or its raw stored JSON (LessonPage.practice_codes
        # reads the raw stream), where each list item is stored as {"type": "item", "value": code, "id": ...}.
        items = value.get("questions") or []
        codes = (item.get("value") if isinstance(item, dict) else item for item in items)
        return [code for code in codes if code]

    def clean(self, value):
        value = super().clean(value)
        # Only active questions reach officers: a draft or retired one would leave the block empty
        # ("本节练习题暂未上线") after publishing, so it is refused here, where the trainer can fix it.
        from question_bank.models import Question, QuestionStatus

        codes = self.codes_of(value)
        statuses = dict(Question.objects.filter(code__in=codes).values_list("code", "status"))
        errors, seen = {}, set()
        for index, code in enumerate(codes):
            if code in seen:
                errors[index] = ValidationError(_("Question %(code)s is chosen twice.") % {"code": code})
            elif statuses.get(code) != QuestionStatus.ACTIVE:
                errors[index] = ValidationError(
                    _("Question %(code)s is not active (draft or retired): officers would not see it. Activate it "
                      "in the question bank or choose another.") % {"code": code}
                )
            seen.add(code)
        if errors:
            raise StructBlockValidationError(
                block_errors={"questions": ListBlockValidationError(block_errors=errors)}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        available = (parent_context or {}).get("practice_questions") or {}
        context["questions"] = [available[code] for code in self.codes_of(value) if code in available]
        return context


class LessonStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph.html",
        preview_template=PREVIEW_TEMPLATE,
        preview_value="<p>宪法是国家的根本法，具有最高的法律效力。</p>",
        description=_("Formatted text"),
    )
    law_article = LawArticleBlock()
    key_point = KeyPointBlock()
    case_study = CaseStudyBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    practice = PracticeQuestionsBlock()
