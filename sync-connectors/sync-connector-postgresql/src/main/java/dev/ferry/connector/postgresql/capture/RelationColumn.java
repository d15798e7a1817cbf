package dev.ferry.connector.postgresql.capture;

import java.util.Objects;

/**
 * One column of a {@link PgOutputMessage.Relation}, as pgoutput describes it.
 *
 * @param name         the column's name
 * @param key          whether the column is part of the relation's replica identity (the primary
 *                     key by default; every column under {@code REPLICA IDENTITY FULL})
 * @param typeOid      the column's type OID ({@code pg_attribute.atttypid}): for a domain the
 *                     domain's OID, for which a {@link PgOutputMessage.TypeInfo} names the base type
 * @param typeModifier {@code pg_attribute.atttypmod}, -1 when the type has none
 */
public record RelationColumn(String name, boolean key, int typeOid, int typeModifier) {

    public RelationColumn {
        Objects.requireNonNull(name, "name");
    }
}
