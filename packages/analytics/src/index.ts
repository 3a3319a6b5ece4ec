export { type Direction, directionOfTravel } from "./direction.ts";
