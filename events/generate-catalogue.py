#!/usr/bin/env python3
"""Writes the event catalogue's Java sources from a QEMU's live QAPI schema.

    ./qeventd qmp --socket VM.qmp query-qmp-schema > schema.json
    events/generate-catalogue.py schema.json events/src/main/java/io/qeventd/events

The schema's type names are masked ("123"), so the names of nested types are chosen here, following
the QAPI names of QEMU's qapi/*.json where there is one. QmpSchemaCatalogueTest checks the result
against a running QEMU; run this again when that test names an event or member it does not know.
"""
import json
import os
import sys

# Names of the types reached from an event, by path: EVENT.member[.member...] (or TYPE.member).
TYPE_NAMES = {
    "ACPI_DEVICE_OST.info": "AcpiOstInfo",
    "AcpiOstInfo.slot-type": "AcpiSlotType",
    "BLOCK_IO_ERROR.operation": "IoOperationType",
    "BLOCK_IO_ERROR.action": "BlockErrorAction",
    "BLOCK_JOB_CANCELLED.type": "JobType",
    "BLOCK_JOB_COMPLETED.type": "JobType",
    "BLOCK_JOB_ERROR.operation": "IoOperationType",
    "BLOCK_JOB_ERROR.action": "BlockErrorAction",
    "BLOCK_JOB_PENDING.type": "JobType",
    "BLOCK_JOB_READY.type": "JobType",
    "COLO_EXIT.mode": "ColoMode",
    "COLO_EXIT.reason": "ColoExitReason",
    "DUMP_COMPLETED.result": "DumpQueryResult",
    "DumpQueryResult.status": "DumpStatus",
    "GUEST_CRASHLOADED.action": "GuestPanicAction",
    "GUEST_CRASHLOADED.info": "GuestPanicInformation",
    "GUEST_PANICKED.action": "GuestPanicAction",
    "GUEST_PANICKED.info": "GuestPanicInformation",
    "GuestPanicInformation.type": "GuestPanicInformationType",
    "GuestPanicInformation/hyper-v": "GuestPanicInformationHyperV",
    "GuestPanicInformation/s390": "GuestPanicInformationS390",
    "GuestPanicInformationS390.reason": "S390CrashReason",
    "JOB_STATUS_CHANGE.status": "JobStatus",
    "MEMORY_FAILURE.recipient": "MemoryFailureRecipient",
    "MEMORY_FAILURE.action": "MemoryFailureAction",
    "MEMORY_FAILURE.flags": "MemoryFailureFlags",
    "MIGRATION.status": "MigrationStatus",
    "NETDEV_STREAM_CONNECTED.addr": "SocketAddress",
    "SocketAddress.type": "SocketAddressType",
    "SocketAddress/inet": "InetSocketAddress",
    "SocketAddress/unix": "UnixSocketAddress",
    "SocketAddress/vsock": "VsockSocketAddress",
    "SocketAddress/fd": "FdSocketAddress",
    "QUORUM_REPORT_BAD.type": "QuorumOpType",
    "RESET.reason": "ShutdownCause",
    "SHUTDOWN.reason": "ShutdownCause",
    "SPICE_CONNECTED.server": "SpiceBasicInfo",
    "SPICE_CONNECTED.client": "SpiceBasicInfo",
    "SPICE_DISCONNECTED.server": "SpiceBasicInfo",
    "SPICE_DISCONNECTED.client": "SpiceBasicInfo",
    "SPICE_INITIALIZED.server": "SpiceServerInfo",
    "SPICE_INITIALIZED.client": "SpiceChannel",
    "SpiceBasicInfo.family": "NetworkAddressFamily",
    "SpiceServerInfo.family": "NetworkAddressFamily",
    "SpiceChannel.family": "NetworkAddressFamily",
    "VNC_CONNECTED.server": "VncServerInfo",
    "VNC_CONNECTED.client": "VncBasicInfo",
    "VNC_DISCONNECTED.server": "VncServerInfo",
    "VNC_DISCONNECTED.client": "VncClientInfo",
    "VNC_INITIALIZED.server": "VncServerInfo",
    "VNC_INITIALIZED.client": "VncClientInfo",
    "VncServerInfo.family": "NetworkAddressFamily",
    "VncBasicInfo.family": "NetworkAddressFamily",
    "VncClientInfo.family": "NetworkAddressFamily",
    "WATCHDOG.action": "WatchdogAction",
}

PKG = "io.qeventd.events"
QEMU = "QEMU 7.2"


def camel(name, upper=True):
    parts = [p for p in name.replace("-", "_").split("_") if p]
    s = "".join(p[:1].upper() + p[1:].lower() for p in parts)
    return s if upper else s[:1].lower() + s[1:]


def member_camel(name):
    parts = [p for p in name.replace("-", "_").split("_") if p]
    s = parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
    # QAPI members that are Java keywords (both booleans so far).
    return {"abstract": "isAbstract", "default": "isDefault"}.get(s, s)


def constant(value):
    c = value.upper().replace("-", "_").replace(".", "_")
    return "_" + c if c[0].isdigit() else c


class Gen:
    def __init__(self, schema, out):
        self.by = {x["name"]: x for x in schema}
        self.events = sorted((x for x in schema if x["meta-type"] == "event"), key=lambda e: e["name"])
        self.out = out
        self.written = {}

    def write(self, name, text):
        if name in self.written:
            if self.written[name] != text:
                raise SystemExit("two different types named " + name)
            return
        self.written[name] = text
        with open(os.path.join(self.out, name + ".java"), "w") as f:
            f.write(text)

    def java_type(self, owner, member, tname, optional):
        t = self.by[tname]
        m = t["meta-type"]
        if m == "builtin":
            j = t["json-type"]
            if j == "string":
                return "String"
            if j == "int":
                return "Long" if optional else "long"
            if j == "number":
                return "Double" if optional else "double"
            if j == "boolean":
                return "Boolean" if optional else "boolean"
            return "com.fasterxml.jackson.databind.JsonNode"
        if m == "array":
            return "java.util.List<" + self.boxed(self.java_type(owner, member, t["element-type"], True)) + ">"
        name = TYPE_NAMES.get(owner + "." + member)
        if name is None:
            raise SystemExit("no name for " + owner + "." + member + " (" + m + "): add one to TYPE_NAMES")
        if m == "enum":
            self.enum(name, t["values"])
        elif m == "object":
            self.obj(name, t, None)
        else:
            raise SystemExit("unsupported " + m + " at " + owner + "." + member)
        return name

    @staticmethod
    def boxed(t):
        return {"long": "Long", "double": "Double", "boolean": "Boolean"}.get(t, t)

    def enum(self, name, values):
        consts = []
        for v in values:
            consts.append('    %s("%s")' % (constant(v), v))
        text = f'''package {PKG};

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The QAPI enum {{@code {name}}} as {QEMU} defines it. A value a newer QEMU adds decodes to
 * {{@link #UNRECOGNIZED}} instead of failing the event.
 */
public enum {name} implements QapiEnum {{
{(","+chr(10)).join(consts)},
    /** A value this catalogue does not know (a newer QEMU's). */
    UNRECOGNIZED(null);

    private final String value;

    {name}(String value) {{
        this.value = value;
    }}

    @JsonValue
    @Override
    public String value() {{
        return value;
    }}

    /** The constant for a wire value; {{@link #UNRECOGNIZED}} for one this catalogue does not know. */
    @JsonCreator
    public static {name} of(String value) {{
        return QapiEnum.of(values(), value, UNRECOGNIZED);
    }}

    @Override
    public String toString() {{
        return QapiEnum.toString(this);
    }}
}}
'''
        self.write(name, text)

    def fields(self, owner, members):
        out = []
        for mem in members:
            opt = "default" in mem
            jt = self.java_type(owner, mem["name"], mem["type"], opt)
            out.append((mem["name"], member_camel(mem["name"]), jt, opt))
        return out

    def record_text(self, name, doc, fields, extra_annotations="", implements="", body="", event=None):
        params = []
        for wire, jname, jt, opt in fields:
            ann = '@JsonProperty(value = "%s", required = %s)' % (wire, "false" if opt else "true")
            params.append("        %s %s %s" % (ann, jt, jname))
        pdoc = "".join(" * @param %s member {@code %s}%s\n" % (jname, wire, "; optional, null when absent" if opt else "")
                       for wire, jname, jt, opt in fields)
        if not fields:
            pdoc = ""
        ev = ""
        if event is not None:
            ev = f'''    /** The QMP event name. */
    public static final String NAME = "{event}";

'''
        return f'''package {PKG};

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
{"import com.fasterxml.jackson.annotation.JsonTypeName;" + chr(10) if extra_annotations else ""}
/**
 * {doc}
{" *" + chr(10) + pdoc if pdoc else ""} */
@JsonIgnoreProperties(ignoreUnknown = true)
{extra_annotations}public record {name}(
{(","+chr(10)).join(params)}){implements} {{
{(ev + body).rstrip() + chr(10) if ev or body else ""}}}
'''.replace("(\n)", "()").replace("import com.fasterxml.jackson.annotation.JsonProperty;\n", "" if not fields else "import com.fasterxml.jackson.annotation.JsonProperty;\n")

    def obj(self, name, t, event):
        if "variants" in t:
            return self.union(name, t)
        fields = self.fields(name if event is None else event, t["members"])
        doc = ("The data of QEMU's {@code %s} event (%s)." % (event, QEMU) if t["members"]
               else "QEMU's {@code %s} event (%s); it carries no data." % (event, QEMU)) if event else \
            ("The QAPI type {@code %s} as %s defines it." % (name, QEMU))
        self.write(name, self.record_text(name, doc, fields, event=event))

    def union(self, name, t):
        tag = t["tag"]
        base = [m for m in t["members"] if m["name"] != tag]
        if base:
            raise SystemExit("union " + name + " has base members besides its tag: extend the generator")
        tag_member = [m for m in t["members"] if m["name"] == tag][0]
        tag_type = self.java_type(name, tag, tag_member["type"], False)
        subs = []
        for v in t["variants"]:
            vname = TYPE_NAMES.get(name + "/" + v["case"])
            if vname is None:
                raise SystemExit("no name for variant " + name + "/" + v["case"])
            vt = self.by[v["type"]]
            fields = self.fields(vname, vt["members"])
            body = f'''    @Override
    public {tag_type} {member_camel(tag)}() {{
        return {tag_type}.{constant(v["case"])};
    }}
'''
            self.write(vname, self.record_text(
                vname, "The {@code %s} case of {@link %s}." % (v["case"], name), fields,
                '@JsonTypeName("%s")\n' % v["case"],
                " implements " + name, body))
            subs.append((v["case"], vname))
        sub_lines = ",\n".join('    @JsonSubTypes.Type(value = %s.class, name = "%s")' % (s, c) for c, s in subs)
        text = f'''package {PKG};

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The QAPI union {{@code {name}}} as {QEMU} defines it, told apart by its {{@code {tag}}} member. A case a
 * newer QEMU adds decodes to {{@link Unrecognized}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "{tag}",
        defaultImpl = {name}.Unrecognized.class)
@JsonSubTypes({{
{sub_lines}
}})
public sealed interface {name} permits {", ".join(s for c, s in subs)}, {name}.Unrecognized {{
    /** The {{@code {tag}}} member. */
    {tag_type} {member_camel(tag)}();

    /** A case this catalogue does not know; its members are not kept. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Unrecognized() implements {name} {{
        @Override
        public {tag_type} {member_camel(tag)}() {{
            return {tag_type}.UNRECOGNIZED;
        }}
    }}
}}
'''
        self.write(name, text)

    def run(self):
        self.write("QapiEnum", f'''package {PKG};

/**
 * What every QAPI enum of the catalogue shares: its value on the wire, and a constant for values a newer
 * QEMU adds.
 */
public interface QapiEnum {{
    /** The value on the wire; null for the constant that stands for values this catalogue does not know. */
    String value();

    /** The constant among {{@code constants}} whose wire value is {{@code value}}, else {{@code unrecognized}}. */
    static <E extends QapiEnum> E of(E[] constants, String value, E unrecognized) {{
        for (E c : constants) {{
            if (c.value() != null && c.value().equals(value)) {{
                return c;
            }}
        }}
        return unrecognized;
    }}

    /** The wire value, or {{@code unrecognized}}. */
    static String toString(QapiEnum e) {{
        return e.value() == null ? "unrecognized" : e.value();
    }}
}}
''')
        payloads = []
        for e in self.events:
            name = camel(e["name"])
            if "arg-type" in e:
                self.obj(name, self.by[e["arg-type"]], e["name"])
            else:
                self.write(name, self.record_text(name, "QEMU's {@code %s} event (%s); it carries no data." % (e["name"], QEMU), [], event=e["name"]))
            payloads.append((e["name"], name))
        consts = "\n".join('    public static final String %s = "%s";' % (n, n) for n, _ in payloads)
        entries = ",\n".join('            Map.entry(%s, %s.class)' % (n, c) for n, c in payloads)
        self.write("QemuEvents", f'''package {PKG};

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every event of {QEMU}'s QAPI schema: its name, and the record its {{@code data}} decodes to
 * ({{@code Handler.on(QemuEvents.SHUTDOWN, Shutdown.class)}}). Written from QEMU's {{@code query-qmp-schema}}
 * by {{@code events/generate-catalogue.py}}; QmpSchemaCatalogueTest holds it to a running QEMU.
 */
public final class QemuEvents {{
    /** The QEMU version whose schema this catalogue follows. */
    public static final String QEMU_VERSION = "7.2";

{consts}

    /** Payload record by event name, sorted by name. */
    public static final Map<String, Class<? extends Record>> PAYLOADS = Collections.unmodifiableMap(new TreeMap<>(Map.ofEntries(
{entries})));

    private QemuEvents() {{
    }}

    /** Whether {{@code name}} is an event of this catalogue. */
    public static boolean isKnown(String name) {{
        return PAYLOADS.containsKey(name);
    }}
}}
''')


if __name__ == "__main__":
    schema = json.load(open(sys.argv[1]))
    if isinstance(schema, dict):
        schema = schema["return"]
    os.makedirs(sys.argv[2], exist_ok=True)
    Gen(schema, sys.argv[2]).run()
