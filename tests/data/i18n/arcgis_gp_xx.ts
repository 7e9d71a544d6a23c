<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- A made-up locale "xx" for tests/unit/test_i18n.py; compiled with
     lrelease arcgis_gp_xx.ts (the .qm beside it). -->
<TS version="2.1" language="xx">
<context>
    <name>ProviderOptions</name>
    <message>
        <source>Connections per server</source>
        <translation>XX connections per server</translation>
    </message>
</context>
</TS>
