"""biblatex's default data model (``blx-dm.def``): the entry types and the fields each
accepts, as ``biber --validate-datamodel`` checks them. Field names only, taken from
biblatex 3.x as installed by texlive-bibtex-extra (Debian 2022.20230122); regenerate with
``benchmarks/biber_roundtrip.py --print-datamodel`` when biblatex adds fields."""

from __future__ import annotations


def _f(names: str) -> frozenset[str]:
    return frozenset(names.split())


ENTRY_TYPES: frozenset[str] = _f(
    'article artwork audio bibnote book bookinbook booklet collection commentary customa '
    'customb customc customd custome customf dataset image inbook incollection inproceedings '
    'inreference jurisdiction legal legislation letter manual misc movie music mvbook '
    'mvcollection mvproceedings mvreference online patent performance periodical proceedings '
    'reference report review set software standard suppbook suppcollection suppperiodical '
    'thesis unpublished video'
)

# fields every entry type accepts
GLOBAL: frozenset[str] = _f(
    'abstract annotation authortype bookpagination crossref day doi endday endhour endminute '
    'endmonth endsecond endtimezone endyear endyeardivision entryset entrysubtype eprint '
    'eprintclass eprinttype execute file gender hour ids indexsorttitle indextitle isan ismn '
    'iswc keywords label langid langidopts library lista listb listc listd liste listf minute '
    'month namea nameaddon nameatype nameb namebtype namec namectype options origday '
    'origendday origendhour origendminute origendmonth origendsecond origendtimezone '
    'origendyear origendyeardivision orighour origlocation origminute origmonth origpublisher '
    'origsecond origtimezone origtitle origyear origyeardivision pagination presort related '
    'relatedoptions relatedstring relatedtype second shortauthor shorteditor shorthand '
    'shorthandintro shortjournal shortseries shorttitle sortkey sortname sortshorthand '
    'sorttitle sortyear timezone url urlday urlendday urlendhour urlendminute urlendmonth '
    'urlendsecond urlendtimezone urlendyear urlhour urlminute urlmonth urlsecond urltimezone '
    'urlyear usera userb userc userd usere userf verba verbb verbc xdata xref year '
    'yeardivision'
)

# fields of each entry type besides GLOBAL
FIELDS: dict[str, frozenset[str]] = {
    'article': _f(
        'addendum annotator author commentator editor editora editoratype editorb editorbtype '
        'editorc editorctype editortype eid issn issue issuesubtitle issuetitle issuetitleaddon '
        'journalsubtitle journaltitle journaltitleaddon language note number origlanguage pages '
        'pubstate series subtitle title titleaddon translator version volume'
    ),
    'bibnote': _f(
        'note'
    ),
    'book': _f(
        'addendum afterword annotator author chapter commentator edition editor editora '
        'editoratype editorb editorbtype editorc editorctype editortype eid foreword introduction '
        'isbn language location mainsubtitle maintitle maintitleaddon note number origlanguage '
        'pages pagetotal part publisher pubstate series subtitle title titleaddon translator '
        'volume volumes'
    ),
    'bookinbook': _f(
        'addendum afterword annotator author bookauthor booksubtitle booktitle booktitleaddon '
        'chapter commentator edition editor editora editoratype editorb editorbtype editorc '
        'editorctype editortype eid foreword introduction isbn language location mainsubtitle '
        'maintitle maintitleaddon note number origlanguage pages part publisher pubstate series '
        'subtitle title titleaddon translator volume volumes'
    ),
    'booklet': _f(
        'addendum author chapter editor editortype eid howpublished language location note pages '
        'pagetotal pubstate subtitle title titleaddon type'
    ),
    'collection': _f(
        'addendum afterword annotator chapter commentator edition editor editora editoratype '
        'editorb editorbtype editorc editorctype editortype eid foreword introduction isbn '
        'language location mainsubtitle maintitle maintitleaddon note number origlanguage pages '
        'pagetotal part publisher pubstate series subtitle title titleaddon translator volume '
        'volumes'
    ),
    'dataset': _f(
        'addendum author edition editor editortype language location note number organization '
        'publisher pubstate series subtitle title titleaddon type version'
    ),
    'inbook': _f(
        'addendum afterword annotator author bookauthor booksubtitle booktitle booktitleaddon '
        'chapter commentator edition editor editora editoratype editorb editorbtype editorc '
        'editorctype editortype eid foreword introduction isbn language location mainsubtitle '
        'maintitle maintitleaddon note number origlanguage pages part publisher pubstate series '
        'subtitle title titleaddon translator volume volumes'
    ),
    'incollection': _f(
        'addendum afterword annotator author booksubtitle booktitle booktitleaddon chapter '
        'commentator edition editor editora editoratype editorb editorbtype editorc editorctype '
        'editortype eid foreword introduction isbn language location mainsubtitle maintitle '
        'maintitleaddon note number origlanguage pages part publisher pubstate series subtitle '
        'title titleaddon translator volume volumes'
    ),
    'inproceedings': _f(
        'addendum author booksubtitle booktitle booktitleaddon chapter editor editortype eid '
        'eventday eventendday eventendhour eventendminute eventendmonth eventendsecond '
        'eventendtimezone eventendyear eventendyeardivision eventhour eventminute eventmonth '
        'eventsecond eventtimezone eventtitle eventtitleaddon eventyear eventyeardivision isbn '
        'language location mainsubtitle maintitle maintitleaddon note number organization pages '
        'part publisher pubstate series subtitle title titleaddon venue volume volumes'
    ),
    'inreference': _f(
        'addendum afterword annotator author booksubtitle booktitle booktitleaddon chapter '
        'commentator edition editor editora editoratype editorb editorbtype editorc editorctype '
        'editortype eid foreword introduction isbn language location mainsubtitle maintitle '
        'maintitleaddon note number origlanguage pages part publisher pubstate series subtitle '
        'title titleaddon translator volume volumes'
    ),
    'manual': _f(
        'addendum author chapter edition editor editortype eid isbn language location note number '
        'organization pages pagetotal publisher pubstate series subtitle title titleaddon type '
        'version'
    ),
    'misc': _f(
        'addendum author editor editortype howpublished language location note organization '
        'pubstate subtitle title titleaddon type version'
    ),
    'mvbook': _f(
        'addendum afterword annotator author commentator edition editor editora editoratype '
        'editorb editorbtype editorc editorctype editortype foreword introduction isbn language '
        'location note number origlanguage pagetotal publisher pubstate series subtitle title '
        'titleaddon translator volume volumes'
    ),
    'mvcollection': _f(
        'addendum afterword annotator author commentator edition editor editora editoratype '
        'editorb editorbtype editorc editorctype editortype foreword introduction isbn language '
        'location note number origlanguage publisher pubstate subtitle title titleaddon '
        'translator volume volumes'
    ),
    'mvproceedings': _f(
        'addendum editor editortype eventday eventendday eventendhour eventendminute '
        'eventendmonth eventendsecond eventendtimezone eventendyear eventendyeardivision '
        'eventhour eventminute eventmonth eventsecond eventtimezone eventtitle eventtitleaddon '
        'eventyear eventyeardivision isbn language location note number organization pagetotal '
        'publisher pubstate series subtitle title titleaddon venue volumes'
    ),
    'mvreference': _f(
        'addendum afterword annotator author commentator edition editor editora editoratype '
        'editorb editorbtype editorc editorctype editortype foreword introduction isbn language '
        'location note number origlanguage publisher pubstate subtitle title titleaddon '
        'translator volume volumes'
    ),
    'online': _f(
        'addendum author editor editortype language note organization pubstate subtitle title '
        'titleaddon version'
    ),
    'patent': _f(
        'addendum author holder location note number pubstate subtitle title titleaddon type '
        'version'
    ),
    'periodical': _f(
        'addendum editor editora editoratype editorb editorbtype editorc editorctype editortype '
        'issn issue issuesubtitle issuetitle issuetitleaddon language note number pubstate series '
        'subtitle title titleaddon volume yeardivision'
    ),
    'proceedings': _f(
        'addendum chapter editor editortype eid eventday eventendday eventendhour eventendminute '
        'eventendmonth eventendsecond eventendtimezone eventendyear eventendyeardivision '
        'eventhour eventminute eventmonth eventsecond eventtimezone eventtitle eventtitleaddon '
        'eventyear eventyeardivision isbn language location mainsubtitle maintitle maintitleaddon '
        'note number organization pages pagetotal part publisher pubstate series subtitle title '
        'titleaddon venue volume volumes'
    ),
    'reference': _f(
        'addendum afterword annotator chapter commentator edition editor editora editoratype '
        'editorb editorbtype editorc editorctype editortype eid foreword introduction isbn '
        'language location mainsubtitle maintitle maintitleaddon note number origlanguage pages '
        'pagetotal part publisher pubstate series subtitle title titleaddon translator volume '
        'volumes'
    ),
    'report': _f(
        'addendum author chapter eid institution isrn language location note number pages '
        'pagetotal pubstate subtitle title titleaddon type version'
    ),
    'set': _f(
        'entryset'
    ),
    'software': _f(
        'addendum author editor editortype howpublished language location note organization '
        'pubstate subtitle title titleaddon type version'
    ),
    'suppbook': _f(
        'addendum afterword annotator author bookauthor booksubtitle booktitle booktitleaddon '
        'chapter commentator edition editor editora editoratype editorb editorbtype editorc '
        'editorctype editortype eid foreword introduction isbn language location mainsubtitle '
        'maintitle maintitleaddon note number origlanguage pages part publisher pubstate series '
        'subtitle title titleaddon translator volume volumes'
    ),
    'suppcollection': _f(
        'addendum afterword annotator author booksubtitle booktitle booktitleaddon chapter '
        'commentator edition editor editora editoratype editorb editorbtype editorc editorctype '
        'editortype eid foreword introduction isbn language location mainsubtitle maintitle '
        'maintitleaddon note number origlanguage pages part publisher pubstate series subtitle '
        'title titleaddon translator volume volumes'
    ),
    'thesis': _f(
        'addendum author chapter eid institution language location note pages pagetotal pubstate '
        'subtitle title titleaddon type'
    ),
    'unpublished': _f(
        'addendum author eventday eventendday eventendhour eventendminute eventendmonth '
        'eventendsecond eventendtimezone eventendyear eventendyeardivision eventhour eventminute '
        'eventmonth eventsecond eventtimezone eventtitle eventtitleaddon eventyear '
        'eventyeardivision howpublished language location note pubstate subtitle title titleaddon '
        'type venue'
    ),
}
