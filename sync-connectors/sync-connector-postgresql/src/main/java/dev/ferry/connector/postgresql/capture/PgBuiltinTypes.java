package dev.ferry.connector.postgresql.capture;

import java.util.HashMap;
import java.util.Map;

/**
 * The built-in types of PostgreSQL 15 ({@code pg_type} rows with OIDs below 10000 that can be
 * column types): their OIDs, names and, for arrays, element OIDs. pgoutput sends no Type message
 * for these, so their names come from here. Built-in OIDs never change between releases; a type
 * added by a later release is simply unknown here and read as text.
 *
 * <p>Threading: immutable.
 */
final class PgBuiltinTypes {

    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int CHAR = 18;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int OID = 26;
    static final int JSON = 114;
    static final int POINT = 600;
    static final int BOX = 603;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int MONEY = 790;
    static final int BYTEA_ARRAY = 1001;
    static final int INT2_ARRAY = 1005;
    static final int INT4_ARRAY = 1007;
    static final int TEXT_ARRAY = 1009;
    static final int VARCHAR_ARRAY = 1015;
    static final int INT8_ARRAY = 1016;
    static final int FLOAT4_ARRAY = 1021;
    static final int FLOAT8_ARRAY = 1022;
    static final int OID_ARRAY = 1028;
    static final int BPCHAR = 1042;
    static final int VARCHAR = 1043;
    static final int DATE = 1082;
    static final int TIME = 1083;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int INTERVAL = 1186;
    static final int TIMETZ = 1266;
    static final int BIT = 1560;
    static final int VARBIT = 1562;
    static final int NUMERIC = 1700;
    static final int UUID = 2950;
    static final int JSONB = 3802;

    /** {@code oid:name} or, for arrays, {@code oid:name:elementOid}; from PostgreSQL 15's pg_type. */
    private static final String TABLE = ""
            + "16:bool 17:bytea 18:char 19:name 20:int8 21:int2 22:int2vector 23:int4 24:regproc 25:text 26:oid "
            + "27:tid 28:xid 29:cid 30:oidvector 114:json 142:xml 143:_xml:142 194:pg_node_tree 199:_json:114 "
            + "210:_pg_type:71 270:_pg_attribute:75 271:_xid8:5069 272:_pg_proc:81 273:_pg_class:83 600:point "
            + "601:lseg 602:path 603:box 604:polygon 628:line 629:_line:628 650:cidr 651:_cidr:650 700:float4 "
            + "701:float8 718:circle 719:_circle:718 774:macaddr8 775:_macaddr8:774 790:money 791:_money:790 "
            + "829:macaddr 869:inet 1000:_bool:16 1001:_bytea:17 1002:_char:18 1003:_name:19 1005:_int2:21 "
            + "1006:_int2vector:22 1007:_int4:23 1008:_regproc:24 1009:_text:25 1010:_tid:27 1011:_xid:28 "
            + "1012:_cid:29 1013:_oidvector:30 1014:_bpchar:1042 1015:_varchar:1043 1016:_int8:20 1017:_point:600 "
            + "1018:_lseg:601 1019:_path:602 1020:_box:603 1021:_float4:700 1022:_float8:701 1027:_polygon:604 "
            + "1028:_oid:26 1033:aclitem 1034:_aclitem:1033 1040:_macaddr:829 1041:_inet:869 1042:bpchar "
            + "1043:varchar 1082:date 1083:time 1114:timestamp 1115:_timestamp:1114 1182:_date:1082 "
            + "1183:_time:1083 1184:timestamptz 1185:_timestamptz:1184 1186:interval 1187:_interval:1186 "
            + "1231:_numeric:1700 1263:_cstring:2275 1266:timetz 1270:_timetz:1266 1560:bit 1561:_bit:1560 "
            + "1562:varbit 1563:_varbit:1562 1700:numeric 1790:refcursor 2201:_refcursor:1790 2202:regprocedure "
            + "2203:regoper 2204:regoperator 2205:regclass 2206:regtype 2207:_regprocedure:2202 2208:_regoper:2203 "
            + "2209:_regoperator:2204 2210:_regclass:2205 2211:_regtype:2206 2949:_txid_snapshot:2970 2950:uuid "
            + "2951:_uuid:2950 2970:txid_snapshot 3220:pg_lsn 3221:_pg_lsn:3220 3361:pg_ndistinct "
            + "3402:pg_dependencies 3614:tsvector 3615:tsquery 3642:gtsvector 3643:_tsvector:3614 "
            + "3644:_gtsvector:3642 3645:_tsquery:3615 3734:regconfig 3735:_regconfig:3734 3769:regdictionary "
            + "3770:_regdictionary:3769 3802:jsonb 3807:_jsonb:3802 3904:int4range 3905:_int4range:3904 "
            + "3906:numrange 3907:_numrange:3906 3908:tsrange 3909:_tsrange:3908 3910:tstzrange "
            + "3911:_tstzrange:3910 3912:daterange 3913:_daterange:3912 3926:int8range 3927:_int8range:3926 "
            + "4072:jsonpath 4073:_jsonpath:4072 4089:regnamespace 4090:_regnamespace:4089 4096:regrole "
            + "4097:_regrole:4096 4191:regcollation 4192:_regcollation:4191 4451:int4multirange 4532:nummultirange "
            + "4533:tsmultirange 4534:tstzmultirange 4535:datemultirange 4536:int8multirange "
            + "4600:pg_brin_bloom_summary 4601:pg_brin_minmax_multi_summary 5017:pg_mcv_list 5038:pg_snapshot "
            + "5039:_pg_snapshot:5038 5069:xid8 6150:_int4multirange:4451 6151:_nummultirange:4532 "
            + "6152:_tsmultirange:4533 6153:_tstzmultirange:4534 6155:_datemultirange:4535 "
            + "6157:_int8multirange:4536";

    private static final Map<Integer, String> NAMES = new HashMap<>();
    private static final Map<String, Integer> OIDS = new HashMap<>();
    private static final Map<Integer, Integer> ELEMENTS = new HashMap<>();

    static {
        for (String entry : TABLE.trim().split(" +")) {
            String[] parts = entry.split(":");
            int oid = Integer.parseInt(parts[0]);
            NAMES.put(oid, parts[1]);
            OIDS.put(parts[1], oid);
            if (parts.length == 3) {
                ELEMENTS.put(oid, Integer.parseInt(parts[2]));
            }
        }
    }

    private PgBuiltinTypes() {
    }

    /** The built-in type's name ({@code "int4"}, {@code "_text"}), or null when not built in. */
    static String name(int oid) {
        return NAMES.get(oid);
    }

    /** The OID of the built-in type with this name, or 0. */
    static int oid(String name) {
        Integer oid = OIDS.get(name);
        return oid == null ? 0 : oid;
    }

    /** The element type of a built-in array type, or 0 when {@code oid} is not one. */
    static int element(int arrayOid) {
        Integer element = ELEMENTS.get(arrayOid);
        return element == null ? 0 : element;
    }
}
