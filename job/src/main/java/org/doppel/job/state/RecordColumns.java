package org.doppel.job.state;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A record stored as a Spark row, one column per record component, named as the component (camelCase turned
 * into snake_case). Columns are found by name, so a field added to the record needs no code here: a state
 * written before the field existed is reported as missing that column ({@link #missingColumns}) instead of
 * being read wrongly. A component that is itself a record (a document's lexical sketch) is a struct column.
 */
public final class RecordColumns<T extends Record> implements java.io.Serializable {
  private static final Map<Class<?>, DataType> TYPES = Map.of(
      String.class, DataTypes.StringType,
      int.class, DataTypes.IntegerType, Integer.class, DataTypes.IntegerType,
      long.class, DataTypes.LongType, Long.class, DataTypes.LongType,
      double.class, DataTypes.DoubleType, Double.class, DataTypes.DoubleType,
      boolean.class, DataTypes.BooleanType, Boolean.class, DataTypes.BooleanType);
  private static final Map<Class<?>, RecordColumns<Record>> NESTED = new java.util.concurrent.ConcurrentHashMap<>();
  private static final Map<Class<?>, DataType> ARRAYS = Map.of(
      int[].class, DataTypes.IntegerType, long[].class, DataTypes.LongType, float[].class, DataTypes.FloatType);

  private final Class<T> type;
  private final Set<String> skipped;
  private transient RecordComponent[] components;

  /** {@code skipped}: components not stored (read back as null or zero), e.g. a document's text. */
  public RecordColumns(Class<T> type, Set<String> skipped) {
    this.type = type;
    this.skipped = Set.copyOf(skipped);
    schema(); // fails now, not at the first write, when a component has a type without a column mapping
  }

  public StructType schema() {
    List<StructField> fields = new ArrayList<>();
    for (RecordComponent c : components()) {
      if (stored(c)) fields.add(DataTypes.createStructField(column(c.getName()), dataType(c), true));
    }
    return DataTypes.createStructType(fields);
  }

  public Row toRow(T value) {
    List<Object> values = new ArrayList<>();
    try {
      for (RecordComponent c : components()) {
        if (stored(c)) values.add(toColumn(c.getAccessor().invoke(value)));
      }
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + type.getSimpleName(), e);
    }
    return RowFactory.create(values.toArray());
  }

  /** Columns of this record that a stored schema lacks (empty when it can be read). */
  public List<String> missingColumns(StructType stored) {
    Set<String> have = Set.of(stored.fieldNames());
    List<String> missing = new ArrayList<>();
    for (StructField f : schema().fields()) if (!have.contains(f.name())) missing.add(f.name());
    return missing;
  }

  public T fromRow(Row row) {
    RecordComponent[] cs = components();
    Object[] args = new Object[cs.length];
    Class<?>[] types = new Class<?>[cs.length];
    for (int i = 0; i < cs.length; i++) {
      types[i] = cs[i].getType();
      int at = stored(cs[i]) ? row.fieldIndex(column(cs[i].getName())) : -1;
      Object v = at < 0 || row.isNullAt(at) ? null : ARRAYS.containsKey(types[i]) ? row.getList(at) : row.get(at);
      args[i] = fromColumn(v, types[i]);
    }
    try {
      Constructor<T> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName() + " from a stored row", e);
    }
  }

  static String column(String component) {
    return component.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  private boolean stored(RecordComponent c) {
    return !skipped.contains(c.getName());
  }

  private RecordComponent[] components() {
    if (components == null) components = type.getRecordComponents();
    return components;
  }

  private static DataType dataType(RecordComponent c) {
    DataType t = TYPES.get(c.getType());
    if (t != null) return t;
    if (c.getType().isRecord()) return nested(c.getType()).schema();
    DataType element = ARRAYS.get(c.getType());
    if (element != null) return DataTypes.createArrayType(element, false);
    throw new IllegalStateException("no column type for " + c.getDeclaringRecord().getSimpleName() + "." + c.getName()
        + " (" + c.getType().getSimpleName() + "): add it to RecordColumns");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static RecordColumns<Record> nested(Class<?> type) {
    return NESTED.computeIfAbsent(type, t -> new RecordColumns(t, Set.of()));
  }

  private static Object toColumn(Object v) {
    if (v instanceof Record r) return nested(r.getClass()).toRow(r);    if (v instanceof int[] a) return Arrays.stream(a).boxed().toArray(Integer[]::new);
    if (v instanceof long[] a) return Arrays.stream(a).boxed().toArray(Long[]::new);
    if (v instanceof float[] a) {
      Float[] out = new Float[a.length];
      for (int i = 0; i < a.length; i++) out[i] = a[i];
      return out;
    }
    return v;
  }

  private static Object fromColumn(Object v, Class<?> type) {
    if (v == null) {
      if (!type.isPrimitive()) return null;
      if (type == boolean.class) return false;
      if (type == int.class) return 0;
      if (type == long.class) return 0L;
      return 0.0;
    }
    if (v instanceof Row r && type.isRecord()) return nested(type).fromRow(r);
    if (v instanceof List<?> list) {
      if (type == int[].class) return list.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
      if (type == long[].class) return list.stream().mapToLong(x -> ((Number) x).longValue()).toArray();
      float[] out = new float[list.size()];
      for (int i = 0; i < out.length; i++) out[i] = ((Number) list.get(i)).floatValue();
      return out;
    }
    return v;
  }
}
