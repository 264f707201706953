"""Reads a JUnit XML file with junitparser (Debian's python3-junitparser) and prints what a CI
system would see, as JSON: the suites' counts and time, each test case's name and results."""
import json
import sys

from junitparser import Error, Failure, JUnitXml, Skipped

xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = []
    for case in suite:
        results = []
        for result in case.result:
            kind = 'failure' if isinstance(result, Failure) else 'error' if isinstance(result, Error) else 'skipped' if isinstance(result, Skipped) else 'other'
            results.append({'kind': kind, 'message': result.message, 'type': result.type, 'text': result.text})
        cases.append({'name': case.name, 'classname': case.classname, 'time': case.time, 'results': results,
                      'system_out': case.system_out, 'passed': case.is_passed, 'skipped': case.is_skipped})
    props = {prop.name: prop.value for prop in suite.properties()}
    suites.append({'name': suite.name, 'tests': suite.tests, 'failures': suite.failures, 'errors': suite.errors,
                   'skipped': suite.skipped, 'time': suite.time, 'timestamp': suite.timestamp,
                   'properties': props, 'cases': cases})
print(json.dumps({'tests': xml.tests, 'failures': xml.failures, 'errors': xml.errors, 'skipped': xml.skipped,
                  'time': xml.time, 'suites': suites}))
