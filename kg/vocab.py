"""Generated from ontology/kgo.ttl by `python -m kg.ontology`; do not edit by hand."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class KGO(DefinedNamespace):
    """The zhgov-kg ontology: a closed namespace, so an unknown term raises."""

    _fail = True

    AdministrativeDivision: URIRef
    Assertion: URIRef
    Board: URIRef
    Enterprise: URIRef
    Entity: URIRef
    Event: URIRef
    Extractor: URIRef
    Fact: URIRef
    GBT2260Code: URIRef
    GovernmentWorkReport: URIRef
    Honour: URIRef
    Indicator: URIRef
    IndicatorStructure: URIRef
    Listing: URIRef
    Mention: URIRef
    Milestone: URIRef
    MilestoneKind: URIRef
    MilestoneKinds: URIRef
    Observation: URIRef
    ObservationKind: URIRef
    ObservationKinds: URIRef
    Organization: URIRef
    Person: URIRef
    Place: URIRef
    PlanPeriod: URIRef
    PlanReport: URIRef
    Programme: URIRef
    Project: URIRef
    Recognition: URIRef
    Report: URIRef
    ReportKind: URIRef
    ReportKinds: URIRef
    Zone: URIRef
    actual: URIRef
    board: URIRef
    completed: URIRef
    componentIndicator: URIRef
    componentObservationKind: URIRef
    componentQualifier: URIRef
    componentRefArea: URIRef
    componentRefPeriod: URIRef
    componentUnit: URIRef
    componentValue: URIRef
    confidence: URIRef
    covers: URIRef
    damagedShare: URIRef
    divisionCode: URIRef
    encoding: URIRef
    endYear: URIRef
    evidence: URIRef
    exchange: URIRef
    expected: URIRef
    hasComponent: URIRef
    honour: URIRef
    inProduction: URIRef
    inReport: URIRef
    indicator: URIRef
    indicators: URIRef
    issuedBy: URIRef
    issuingRegion: URIRef
    linkMethod: URIRef
    listedEnterprise: URIRef
    locatedIn: URIRef
    meeting: URIRef
    mentionCount: URIRef
    mentionOf: URIRef
    mergeReason: URIRef
    milestoneKind: URIRef
    milestoneOf: URIRef
    milestoneStatus: URIRef
    observationKind: URIRef
    opened: URIRef
    openedToTraffic: URIRef
    planPeriod: URIRef
    qualifier: URIRef
    recipient: URIRef
    refArea: URIRef
    refPeriod: URIRef
    reportKind: URIRef
    sentence: URIRef
    sentenceEnd: URIRef
    sentenceStart: URIRef
    sha256: URIRef
    signed: URIRef
    speaker: URIRef
    speakerOffice: URIRef
    startYear: URIRef
    started: URIRef
    surfaceName: URIRef
    target: URIRef
    ticker: URIRef
    toppedOut: URIRef
    undertakes: URIRef
    unit: URIRef
    validFrom: URIRef
    validTo: URIRef
    value: URIRef
    wording: URIRef
    year: URIRef
    yearPlanned: URIRef
    yearReviewed: URIRef

    _NS = Namespace("https://w3id.org/zhgov-kg/ontology#")
